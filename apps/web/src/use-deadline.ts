import { useEffect } from 'preact/hooks';

/**
 * Calls `onPassed` once `seconds` have passed (from when they were first given), unless the
 * caller unmounts or passes undefined first.
 */
export function useDeadline(seconds: number | undefined, onPassed: () => void): void {
  useEffect(() => {
    if (seconds === undefined) return;
    const timer = setTimeout(onPassed, seconds * 1000);
    return () => clearTimeout(timer);
  }, [seconds]);
}
