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
export const SERVER_PATHS = ['api', 'docs', 'docs-json', 'health', 'metrics', 's', 'r'];

/**
 * The fallback's route. Not serve-static's `exclude` option: its error handler turns every error
 * on an excluded path into a 404, which would hide the API's own 400 and 413 for bad bodies.
 */
export const APP_ROUTES = new RegExp(`^(?!/(?:${SERVER_PATHS.join('|')})(?:/|$))`);

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
          renderPath: APP_ROUTES,
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
