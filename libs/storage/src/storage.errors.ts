/** Our own storage failures; the global exception filter maps them to HTTP. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class StorageObjectNotFoundError extends StorageError {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no stored object under key ${key}`, options);
  }
}

/** The backend cannot be reached or refuses to work: a 503 for clients. */
export class StorageUnavailableError extends StorageError {}

export class InvalidStorageKeyError extends StorageError {}

/** The backend refused to delete an object under legal hold or retention (S3 Object Lock). */
export class StorageObjectHeldError extends StorageError {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`the stored object ${key} is under legal hold or retention`, options);
  }
}
