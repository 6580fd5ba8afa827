export interface SetupState {
  hasUsers: boolean;
  registration: 'open' | 'closed';
  passwordRules: { minLength: number; maxLength: number };
  sso: { enabled: boolean; displayName?: string; passwordSignIn: boolean };
}

export async function loadSetupState(): Promise<SetupState> {
  const response = await fetch('/api/v1/auth/setup-state');
  if (!response.ok) throw new Error(`setup-state answered ${response.status}`);
  return (await response.json()) as SetupState;
}
