import { ApiProperty } from '@nestjs/swagger';

/** The contract's error body, for every status. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['email must be an email'],
  })
  message!: string | string[];

  @ApiProperty({ example: '5f1c2a7e-9a4b-4d43-a3f0-3c2a1e0b9d11' })
  requestId!: string;
}
