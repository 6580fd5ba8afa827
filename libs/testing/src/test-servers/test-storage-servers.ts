export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

export interface TestGcsServer {
  endpoint: string;
  bucket: string;
}

/** The MinIO the global setup started, as it published it to the test workers. */
export function testS3Server(): TestS3Server {
  return {
    endpoint: required('STRONGROOM_TEST_S3_ENDPOINT'),
    bucket: required('STRONGROOM_TEST_S3_BUCKET'),
    region: 'us-east-1',
    accessKey: required('STRONGROOM_TEST_S3_ACCESS_KEY'),
    secretKey: required('STRONGROOM_TEST_S3_SECRET_KEY'),
  };
}

/** The fake-gcs-server the global setup started, as it published it to the test workers. */
export function testGcsServer(): TestGcsServer {
  return {
    endpoint: required('STRONGROOM_TEST_GCS_ENDPOINT'),
    bucket: required('STRONGROOM_TEST_GCS_BUCKET'),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through jest (the global setup sets it)`);
  }
  return value;
}
