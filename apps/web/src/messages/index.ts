import { en, type Messages } from './en';

/** The person's language when we have it; English until another file exists. */
export const messages: Messages = en;
export const locale: string | undefined = undefined;
