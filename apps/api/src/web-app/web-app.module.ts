import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '@strongroom/config';
import { setWebAppHeaders } from './web-app.headers';

/**
 * Paths the app never answers, so their own routes (or the JSON 404 for unknown ones) stay
 * theirs; every other GET that is not a file falls back to index.html for the app's router.
 */
export const SERVER_PATHS = ['/api', '/docs', '/docs-json', '/health', '/metrics', '/s'];

/** Serves the built single-page app (apps/web) at `/`, next to the API. */
@Module({})
export class WebAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const index = path.join(config.webAppDir, 'index.html');
    if (!existsSync(index)) {
      new Logger(WebAppModule.name).warn(
        `The web app is not built (no ${index}): run "npm run build" to serve it at /`,
      );
      return { module: WebAppModule };
    }
    return {
      module: WebAppModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: config.webAppDir,
          exclude: SERVER_PATHS.map((prefix) => `${prefix}{/*rest}`),
          serveStaticOptions: {
            index: 'index.html',
            redirect: false,
            dotfiles: 'ignore',
            setHeaders: setWebAppHeaders,
          },
        }),
      ],
    };
  }
}
