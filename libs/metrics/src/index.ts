export { MetricsModule } from './metrics.module';
export { HttpMetricsMiddleware } from './http-metrics.middleware';
