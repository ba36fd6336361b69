// Talking to lenet serve: every call is to this page's own server. Errors come back as
// {"error": "..."}; they are thrown as Error with that sentence as the message.

async function answer(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await response.json() : null;
  if (!response.ok) {
    throw new Error(body && body.error ? body.error : `the server answered ${response.status}`);
  }
  return body;
}

export async function getJson(path) {
  return answer(await fetch(path, { headers: { Accept: 'application/json' } }));
}

export async function postJson(path, value) {
  return answer(await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(value),
  }));
}

/** POST /api/predict with the image as the raw body; with the trace of every stage. */
export async function predict(blob) {
  const type = blob.type && blob.type.startsWith('image/') ? blob.type : 'image/png';
  return answer(await fetch('/api/predict?trace=1', { method: 'POST', headers: { 'Content-Type': type }, body: blob }));
}
