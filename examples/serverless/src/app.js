// An ordinary Express app behind serverless-http, as many Serverless services are.
import express from 'express';
import serverless from 'serverless-http';

const app = express();
app.use(express.json());

// $default catches every request no other route takes, browser preflights (OPTIONS) included,
// so the app answers them: API Gateway adds the CORS headers of provider.httpApi.cors.
app.options('/{*path}', (req, res) => {
  res.sendStatus(204);
});

app.get('/hello/:name', (req, res) => {
  res.json({ hello: req.params.name, path: req.path, via: 'express' });
});

app.post('/echo', (req, res) => {
  res.status(201).json({ received: req.body });
});

app.use((req, res) => {
  res.status(404).json({ message: `express has no route for ${req.method} ${req.path}` });
});

export const handler = serverless(app);
