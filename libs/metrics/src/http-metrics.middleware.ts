import { Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { routeTemplate } from '@strongroom/common';
import { HTTP_REQUEST_DURATION } from './metrics.tokens';

/** Times every request, including those a guard or a body parser rejects, by route template. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@InjectMetric(HTTP_REQUEST_DURATION) private readonly duration: Histogram<string>) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stopTimer = this.duration.startTimer();
    res.once('close', () => {
      stopTimer({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) });
    });
    next();
  }
}
