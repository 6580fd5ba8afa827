import {
  DefaultHttpStack,
  type HttpRequest,
  type HttpResponse,
  type HttpStack,
} from 'tus-js-client';
import { session } from './session';

/**
 * tus-js-client's own XMLHttpRequest stack, with the session's access token on every request.
 * A request refused with 401 (the token expired mid-upload) is sent once more after a silent
 * refresh, inside the stack: tus-js-client never sees the 401, so it neither gives up nor, as it
 * does for any 4xx to its HEAD, forgets the upload and starts the file again.
 */
export class AuthorizedHttpStack implements HttpStack {
  private readonly inner = new DefaultHttpStack({});

  createRequest(method: string, url: string): HttpRequest {
    return new AuthorizedRequest(this.inner, method, url);
  }

  getName(): string {
    return 'AuthorizedHttpStack';
  }
}

class AuthorizedRequest implements HttpRequest {
  private readonly headers = new Map<string, string>();
  private progress: (bytesSent: number) => void = () => undefined;
  private current: HttpRequest;
  private aborted = false;

  constructor(
    private readonly stack: HttpStack,
    private readonly method: string,
    private readonly url: string,
  ) {
    this.current = stack.createRequest(method, url);
  }

  getMethod(): string {
    return this.method;
  }

  getURL(): string {
    return this.url;
  }

  setHeader(header: string, value: string): void {
    this.headers.set(header, value);
  }

  getHeader(header: string): string | undefined {
    return this.headers.get(header);
  }

  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.progress = handler;
  }

  async send(body: unknown): Promise<HttpResponse> {
    const refused = await this.sendOnce(body);
    if (refused.getStatus() !== 401 || this.aborted) return refused;
    try {
      await session.renewAccess();
    } catch {
      // The session has ended (and the page says so): the 401 is the upload's answer.
      return refused;
    }
    if (this.aborted) return refused;
    this.current = this.stack.createRequest(this.method, this.url);
    return this.sendOnce(body);
  }

  abort(): Promise<void> {
    this.aborted = true;
    return this.current.abort();
  }

  getUnderlyingObject(): unknown {
    return this.current.getUnderlyingObject();
  }

  private sendOnce(body: unknown): Promise<HttpResponse> {
    for (const [header, value] of this.headers) this.current.setHeader(header, value);
    this.current.setHeader('Authorization', session.bearer());
    this.current.setProgressHandler(this.progress);
    return this.current.send(body);
  }
}
