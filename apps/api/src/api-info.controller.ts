import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';

export class ApiInfo {
  @ApiProperty({ example: 'Strongroom' })
  name!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ example: '/docs' })
  docs!: string;
}

@ApiTags('api')
@Controller()
export class ApiInfoController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'What this server is and where its documentation lives' })
  @ApiOkResponse({ type: ApiInfo })
  @ApiErrors(429)
  info(): ApiInfo {
    return { name: 'Strongroom', version: this.config.version, docs: '/docs' };
  }
}
