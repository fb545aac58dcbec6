// The AWS SDK warns once per process that Node 22 will be needed from 2027: noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
