export const STORAGE_PROVIDER = Symbol('STORAGE_PROVIDER');
/** The driver's resumable-upload storage, or null where the driver has none yet. */
export const RESUMABLE_STORAGE = Symbol('RESUMABLE_STORAGE');
