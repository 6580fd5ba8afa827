export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';
