/** The KeyWrapper that wraps new data keys under KEY_PROVIDER and unwraps any provider's. */
export const KEY_WRAPPER = Symbol('KEY_WRAPPER');
