// The app's script: plain fetch to another origin, with the token as a Bearer header.
const byId = (id) => document.getElementById(id);
const result = byId('result');

byId('origin').textContent = window.location.origin;
// ?api=http://127.0.0.1:PORT points the page at a gateway on another port.
const api = new URL(window.location.href).searchParams.get('api');
if (api) byId('api').value = api;

async function call(method, path) {
  result.dataset.state = 'pending';
  result.textContent = `${method} ${path} …`;
  const token = byId('token').value.trim();
  try {
    const res = await fetch(new URL(path, byId('api').value), {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const body = await res.text();
    // Only CORS-safelisted headers and those in cors.exposeHeaders are visible here.
    result.textContent = `${res.status}\nx-api-id: ${res.headers.get('x-api-id')}\n\n${body}`;
    result.dataset.state = 'done';
  } catch (error) {
    // A blocked CORS request looks like a network error to the script; the console says why.
    result.textContent = `${error.name}: ${error.message}\n(blocked by the browser: see the console)`;
    result.dataset.state = 'blocked';
  }
}

for (const button of document.querySelectorAll('button[data-path]')) {
  button.addEventListener('click', () => call(button.dataset.method, button.dataset.path));
}
