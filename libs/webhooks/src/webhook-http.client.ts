import { Inject, Injectable } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { refusedAddressReason } from './webhook-address';

/** What of an answer is read: enough for a short error body, never a flood. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookResponse {
  statusCode: number;
}

/** The host as WEBHOOK_ALLOWED_HOSTS lists it: lower case, an IPv6 literal without brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** The URL may not be called: the message says why, in words for the endpoint's owner. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
}

/**
 * Posts webhook payloads without becoming a way into the internal network: the host is resolved
 * once, every address it resolves to must be public (unless the host is on WEBHOOK_ALLOWED_HOSTS),
 * and the connection goes to the address that was checked, so a second lookup cannot rebind it.
 * No redirect is followed, the whole call is bounded in time and the answer in size.
 */
@Injectable()
export class WebhookHttpClient {
  private readonly allowedHosts: ReadonlySet<string>;
  private readonly timeoutMs: number;
  /** Payloads name files and people: in production they leave only encrypted. */
  private readonly httpsRequired: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allowedHosts = new Set(config.webhooks.allowedHosts);
    this.timeoutMs = config.webhooks.timeoutMs;
    this.httpsRequired = config.environment === 'production';
  }

  /** Why this URL may not receive webhooks (at registration), or undefined when it may. */
  async refusal(text: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = this.parse(text);
      await this.addressFor(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return error.message;
      throw error;
    }
    return undefined;
  }

  /** One POST; resolves with the status of any answer, rejects when there was none in time. */
  async post(
    text: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<WebhookResponse> {
    const url = this.parse(text);
    const checked = await this.addressFor(url);
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [checked]);
      else callback(null, checked.address, checked.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookResponse>((resolve, reject) => {
      const request = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Strongroom-Webhooks/1',
          },
          lookup,
          agent: false,
        },
        (response) => void this.drain(response).then(resolve),
      );
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms (timeout)`)),
        this.timeoutMs,
      );
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }

  private parse(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new WebhookTargetRefused('the URL is not a valid absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new WebhookTargetRefused('the URL must start with https:// or http://');
    }
    if (url.protocol === 'http:' && this.httpsRequired && !this.allowedHosts.has(hostOf(url))) {
      throw new WebhookTargetRefused(
        'the URL must start with https:// in production (plain http:// only for hosts an admin lists in WEBHOOK_ALLOWED_HOSTS)',
      );
    }
    if (url.username || url.password) {
      throw new WebhookTargetRefused(
        'the URL must not hold credentials; check the webhook-signature header instead',
      );
    }
    return url;
  }

  /** The one address to connect to, checked. */
  private async addressFor(url: URL): Promise<LookupAddress> {
    const host = hostOf(url);
    const allowed = this.allowedHosts.has(host);
    const family = isIP(host);
    const addresses = family ? [{ address: host, family }] : await this.resolve(host);
    if (!allowed) {
      for (const { address } of addresses) {
        const reason = refusedAddressReason(address);
        if (reason) {
          throw new WebhookTargetRefused(
            `${host} resolves to ${address}, ${reason}; webhooks go only to public addresses unless an admin lists the host in WEBHOOK_ALLOWED_HOSTS`,
          );
        }
      }
    }
    return addresses[0];
  }

  private resolve(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      // A resolver that does not answer must not hold a registration (or a delivery) up.
      const timer = setTimeout(
        () => reject(new WebhookTargetRefused(`the host ${host} could not be resolved in time`)),
        this.timeoutMs,
      );
      dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
        clearTimeout(timer);
        if (error || addresses.length === 0) {
          reject(new WebhookTargetRefused(`the host ${host} could not be resolved`));
        } else resolve(addresses);
      });
    });
  }

  /** Reads at most MAX_RESPONSE_BYTES of the answer, then lets go of the connection. */
  private drain(response: IncomingMessage): Promise<WebhookResponse> {
    const statusCode = response.statusCode ?? 0;
    return new Promise((resolve) => {
      let read = 0;
      const done = () => {
        response.destroy();
        resolve({ statusCode });
      };
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
  }
}
