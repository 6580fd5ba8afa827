import { Server } from '@tus/server';
import type { CancellationContext } from '@tus/utils';
import type { AppConfig } from '@strongroom/config';
import { asHttpError } from './tus-errors';
import { PassthroughLocker } from './passthrough.locker';
import type { TusDataStore } from './tus.data-store';

export const TUS_SERVER = Symbol('TUS_SERVER');
export const UPLOADS_PATH = '/api/v1/uploads';
/** Sent with the completing PATCH (or POST): the id of the file the upload became. */
export const FILE_ID_HEADER = 'Strongroom-File-Id';

/**
 * The tus protocol engine over our DataStore. Every error leaves through the global exception
 * filter, in the contract's error shape with the request id: the DataStore throws HTTP exceptions,
 * and tus's own protocol answers are turned into them, rather than written as plain text.
 */
export function createTusServer(store: TusDataStore, config: AppConfig): Server {
  return new ContractErrorsServer({
    path: UPLOADS_PATH,
    datastore: store,
    locker: new PassthroughLocker(),
    // Location is absolute, where clients reach us (with PUBLIC_URL's path prefix, if any); never
    // built from the Host header or forwarded headers, which a client chooses.
    generateUrl: (_req, { path, id }) => `${config.http.publicUrl}${path}/${id}`,
    respectForwardedHeaders: false,
    // CORS is the app's (its allow-list), not tus's default of any origin.
    allowedOrigins: () => false,
    disableTerminationForFinishedUploads: true,
    namingFunction: () => store.newUploadId(),
    onUploadFinish: (_req, upload) => Promise.resolve({ headers: { [FILE_ID_HEADER]: upload.id } }),
    onResponseError: (_req, error) => {
      throw asHttpError(error);
    },
  });
}

/**
 * tus also writes some refusals itself, as plain text (a missing or wrong Tus-Resumable, an invalid
 * header, an unknown path): those leave through the global filter too, like every other error.
 */
class ContractErrorsServer extends Server {
  override write(context: CancellationContext, headers: Headers, status: number, body?: string) {
    if (status >= 400) throw asHttpError({ status_code: status, body: body ?? '' });
    return super.write(context, headers, status, body);
  }
}
