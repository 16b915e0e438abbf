// The smallest handler: a string result becomes a 200 application/json body (aws-behavior §4.4).
export const handler = async (event) => {
  const name = event.queryStringParameters?.name ?? 'world';
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `hello, ${name}` }) };
};
