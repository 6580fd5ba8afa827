import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@strongroom/users';

export class LinkOidcRequest {
  @ApiProperty({
    description:
      'Your current password: linking proves the account again before it trusts a new way in',
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class OidcLinkStarted {
  @ApiProperty({
    description:
      "Open this in the browser (a top-level navigation); the provider's answer comes back to the callback, which links the identity and returns to the web app",
    example: 'https://login.example.com/authorize?client_id=strongroom&state=…',
  })
  authorizationUrl!: string;
}
