import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';
import type { UserDocument } from '../user.schema';

/** What a person chose for their own account; each setting defaults to off. */
export class PreferencesResponse {
  @ApiProperty({ description: 'An e-mail each time one of your links is downloaded' })
  notifyOnLinkDownload!: boolean;

  static from(user: UserDocument): PreferencesResponse {
    return { notifyOnLinkDownload: user.notifyOnLinkDownload === true };
  }
}

export class UpdatePreferencesRequest {
  @ApiPropertyOptional({ description: 'An e-mail each time one of your links is downloaded' })
  @OptionalProperty()
  @IsBoolean({ message: 'notifyOnLinkDownload must be true or false' })
  notifyOnLinkDownload?: boolean;
}
