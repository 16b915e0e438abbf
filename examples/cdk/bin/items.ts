import { App } from 'aws-cdk-lib';
import { ItemsStack } from '../lib/items-stack.js';

const app = new App();
new ItemsStack(app, 'ItemsStack');
