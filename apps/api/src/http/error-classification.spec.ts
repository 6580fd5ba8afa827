import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DependencyUnavailableError } from '@strongroom/common';
import { StorageObjectNotFoundError, StorageUnavailableError } from '@strongroom/storage';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import zlib from 'node:zlib';
import { classifyError } from './error-classification';

describe('classifyError', () => {
  it('keeps an HttpException status and its validation messages', () => {
    const result = classifyError(new BadRequestException(['email must be an email']));
    expect(result).toEqual({ status: 400, message: ['email must be an email'], unexpected: false });
    expect(classifyError(new NotFoundException('File not found'))).toMatchObject({
      status: 404,
      message: 'File not found',
    });
  });

  it('turns body-parser failures into 4xx with a fixed message', () => {
    const malformed = Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(classifyError(malformed)).toEqual({
      status: 400,
      message: 'The request body is not valid JSON',
      unexpected: false,
    });
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    expect(classifyError(tooLarge)).toMatchObject({ status: 413 });
  });

  it('turns a body whose Content-Encoding cannot be decoded into 400, and an unknown one into 415', () => {
    // As body-parser hands them on: the zlib error of the decompression stream, given a status.
    const corrupt = (decompress: (data: Buffer) => Buffer): unknown => {
      try {
        decompress(Buffer.from('not compressed at all'));
      } catch (error) {
        return Object.assign(error as Error, { status: 400, statusCode: 400, expose: true });
      }
      throw new Error('decompressed garbage');
    };
    for (const decompress of [zlib.gunzipSync, zlib.inflateSync, zlib.brotliDecompressSync]) {
      expect(classifyError(corrupt(decompress))).toEqual({
        status: 400,
        message: expect.stringMatching(/could not be decompressed.*Content-Encoding/),
        unexpected: false,
      });
    }
    const unknown = Object.assign(new Error('unsupported content encoding "snappy"'), {
      status: 415,
      expose: true,
      encoding: 'snappy',
      type: 'encoding.unsupported',
    });
    expect(classifyError(unknown)).toEqual({
      status: 415,
      message: expect.stringMatching(/Content-Encoding "snappy" is not supported.*gzip/),
      unexpected: false,
    });
  });

  it('turns a Mongoose CastError and ValidationError into 400', () => {
    const Model = mongoose.model('ClassifyProbe', new Schema({ count: { type: Number, min: 0 } }));
    const cast = new mongoose.Error.CastError('ObjectId', 'not-an-id', '_id');
    expect(classifyError(cast)).toEqual({
      status: 400,
      message: 'Invalid value for _id',
      unexpected: false,
    });
    const validation = new Model({ count: -1 }).validateSync();
    expect(classifyError(validation)).toMatchObject({
      status: 400,
      message: [expect.stringContaining('count')],
    });
  });

  it('turns a save of a record deleted meanwhile into 404', () => {
    const vanished = new mongoose.Error.DocumentNotFoundError('{ _id: 1 }');
    expect(classifyError(vanished)).toEqual({
      status: 404,
      message: 'Not found',
      unexpected: false,
    });
  });

  it('turns a duplicate key into 409', () => {
    const duplicate = new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
    expect(classifyError(duplicate)).toMatchObject({ status: 409, unexpected: false });
  });

  it('answers 503 when the database turns a write away for the moment (a retry will do)', () => {
    const momentary = [
      new MongoServerError({ message: 'WriteConflict error', code: 112 }),
      new MongoServerError({ message: 'database is locked (5) (SQLITE_BUSY)', code: 1 }),
      new MongoServerError({
        message: 'primary stepped down',
        code: 189,
        errorLabels: ['RetryableWriteError'],
      }),
    ];
    for (const error of momentary) {
      expect(classifyError(error)).toMatchObject({ status: 503, unexpected: false });
    }
    const lasting = new MongoServerError({ message: 'Unknown operator $foo', code: 2 });
    expect(classifyError(lasting)).toMatchObject({ status: 500, unexpected: true });
  });

  it('turns an unreachable database into 503', () => {
    expect(classifyError(new MongoNetworkError('connection refused'))).toMatchObject({
      status: 503,
      unexpected: false,
    });
    const selection = new MongoServerSelectionError('Server selection timed out', {} as never);
    expect(classifyError(selection)).toMatchObject({ status: 503 });
    expect(classifyError(new DependencyUnavailableError('database'))).toMatchObject({
      status: 503,
    });
  });

  it('maps storage errors', () => {
    expect(classifyError(new StorageUnavailableError('timeout'))).toMatchObject({
      status: 503,
      unexpected: false,
    });
    expect(classifyError(new StorageObjectNotFoundError('ab/cd'))).toMatchObject({ status: 404 });
  });

  it('turns an unreachable Redis into 503', () => {
    expect(classifyError(new DependencyUnavailableError('redis'))).toMatchObject({
      status: 503,
      message: 'The rate-limit store is unavailable; try again shortly',
      unexpected: false,
    });
  });

  it('hides anything else behind a generic 500', () => {
    const result = classifyError(
      new TypeError("Cannot read properties of undefined (reading 'secret')"),
    );
    expect(result).toEqual({ status: 500, message: 'Internal server error', unexpected: true });
  });
});
