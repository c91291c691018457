// The front door for people: the page, its files, how to sign in, and the API's description.
import './webPage.js';
import './webAsset.js';
import './clientConfig.js';
import './openApiDocument.js';
