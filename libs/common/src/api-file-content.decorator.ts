import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/**
 * Documents a download's successful responses: the file's bytes, in the Content-Type recognised
 * at upload (so any media type), while its errors stay JSON (ApiErrors).
 */
export const ApiFileContent = (descriptions: Partial<Record<200 | 206, string>>) =>
  applyDecorators(
    ...Object.entries(descriptions).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      }),
    ),
  );
