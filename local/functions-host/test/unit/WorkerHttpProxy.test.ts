// References: Azure/azure-functions-nodejs-library `src/http/httpProxy.ts` (the worker finds the
// request by `x-ms-invocation-id`) and `src/http/HttpRequest.ts` `createStreamRequest` (the URL
// from X-Forwarded-Proto and X-Forwarded-Host); Azure/azure-functions-host
// `src/WebJobs.Script/Http/DefaultHttpProxyService.cs` (YARP's forwarder, which drops hop-by-hop
// headers and Host).
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { forwardedRequestHeaders, forwardedResponseHeaders } from '../../src/WorkerHttpProxy.js';

function message(rawHeaders: string[]): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: '127.0.0.1' });
  const msg = new IncomingMessage(socket);
  msg.rawHeaders = rawHeaders;
  msg.headers = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    msg.headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1];
  }
  return msg;
}

describe('forwardedRequestHeaders', () => {
  it('passes the client headers on, less hop-by-hop ones and Host, with the invocation id', () => {
    // Act
    const headers = forwardedRequestHeaders(
      message([
        'Host',
        'localhost:7071',
        'Connection',
        'keep-alive',
        'Content-Type',
        'text/plain',
        'X-Ms-Invocation-Id',
        'spoofed',
        'Accept',
        'a',
        'Accept',
        'b',
      ]),
      'inv-1',
    );
    // Assess
    expect(headers).toEqual({
      'content-type': 'text/plain',
      accept: ['a', 'b'],
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-host': 'localhost:7071',
      'x-forwarded-proto': 'http',
      'x-ms-invocation-id': 'inv-1',
    });
  });
});

describe('forwardedResponseHeaders', () => {
  it('passes the worker headers and every Set-Cookie on, less hop-by-hop ones', () => {
    expect(
      forwardedResponseHeaders(
        message([
          'Content-Type',
          'text/plain',
          'Transfer-Encoding',
          'chunked',
          'Set-Cookie',
          'a=1',
          'Set-Cookie',
          'b=2',
          'x-ms-invocation-id',
          'inv-1',
        ]),
      ),
    ).toEqual({
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
      'x-ms-invocation-id': 'inv-1',
    });
  });
});
