// Chapter 02, the select loop: the asynchronous poetry client.
export { asyncClient, readAvailable } from './async-client';
