import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// examples/basic is what `npm start` serves: it must keep working as documented.
const project = tempProject({}, 'examples/basic');
let gw: RunningCli;
beforeAll(async () => {
  gw = await startCli(['--no-watch'], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project.cleanup();
});

describe('examples/basic', () => {
  it('GET /hello greets', async () => {
    expect((await http(`${gw.url}/hello?name=you`)).json()).toEqual({ message: 'hello, you' });
  });
  it('lists, gets and creates items', async () => {
    expect((await http(`${gw.url}/items`)).json().items).toHaveLength(2);
    expect((await http(`${gw.url}/items/2`)).json()).toEqual({ id: '2', name: 'mouse', price: 19 });
    expect((await http(`${gw.url}/items/9`)).status).toBe(404);
    const created = await http(`${gw.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"pen"}' });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: 'pen' });
  });
  it('DELETE answers 204 with the deleted id', async () => {
    const res = await http(`${gw.url}/items/1`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers['x-deleted']).toBe('1');
  });
  it('the greedy route captures the rest of the path', async () => {
    expect((await http(`${gw.url}/files/a/b%20c.txt`)).json()).toEqual({ path: 'a/b c.txt', routeKey: 'GET /files/{path+}' });
  });
  it('$default (CommonJS, callback style) catches everything else', async () => {
    const res = await http(`${gw.url}/nothing/here`, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ message: 'nothing at PUT /nothing/here', requestId: res.headers['apigw-requestid'] });
  });
});
