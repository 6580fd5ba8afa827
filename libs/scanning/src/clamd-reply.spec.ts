import { ClamdError, parseScanReply } from './clamd-reply';

describe('parseScanReply', () => {
  it('reads a clean verdict', () => {
    expect(parseScanReply('stream: OK\0')).toEqual({ infected: false });
  });

  it('names the signature of an infected stream', () => {
    expect(parseScanReply('stream: Win.Test.EICAR_HDB-1 FOUND\0')).toEqual({
      infected: true,
      signature: 'Win.Test.EICAR_HDB-1',
    });
  });

  it('tells the operator what to change when the stream is over StreamMaxLength', () => {
    expect(() => parseScanReply('INSTREAM size limit exceeded. ERROR\0')).toThrow(
      /StreamMaxLength to at least MAX_FILE_SIZE/,
    );
  });

  it.each(['', 'stream: Can not allocate memory ERROR', 'COMMAND READ TIMED OUT', 'stream: OKAY'])(
    'treats %j as no verdict, never as clean',
    (reply) => {
      expect(() => parseScanReply(reply)).toThrow(ClamdError);
    },
  );
});
