// The official `openai` package (OpenAI and AzureOpenAI clients) against ajuste-emulator:
// files.create -> fineTuning.jobs.create -> retrieve until succeeded -> listEvents ->
// checkpoints -> result file -> chat.completions.create, plus the SDK's own retry on a 503
// and on a 429 with retry-after-ms. Usage: node openai_client_check.mjs URL CACHE_DIR
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, cacheDir] = process.argv.slice(2);
const require = createRequire(path.join(cacheDir, 'package.json'));
const openai = require('openai');
const { OpenAI, AzureOpenAI, toFile } = openai;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let checks = 0;
function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  checks += 1;
}

const reviews = [
  ['Absolutely love this blender! Worth every penny.', 'Rating: 5 stars'],
  ['Terrible kettle. Returned it the same week.', 'Rating: 1 star'],
  ["It's okay. Not bad, not great.", 'Rating: 3 stars'],
];
const data = Array.from({ length: 12 }, (_, i) => {
  const [review, answer] = reviews[i % reviews.length];
  return JSON.stringify({
    messages: [
      { role: 'system', content: 'You are a product review classifier.' },
      { role: 'user', content: `${review} (#${i})` },
      { role: 'assistant', content: answer },
    ],
  });
}).join('\n') + '\n';

async function control(method, route, body) {
  const response = await fetch(`${url}/_emulator${route}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return response.json();
}

async function flow(client, label, { azure }) {
  const file = await client.files.create({ file: await toFile(Buffer.from(data), 'reviews.jsonl'), purpose: 'fine-tune' });
  check(file.id.startsWith('file-') && file.bytes === Buffer.byteLength(data), `${label}: file created`);
  let status = file.status;
  for (let i = 0; i < 200 && status !== 'processed'; i += 1) {
    await sleep(20);
    status = (await client.files.retrieve(file.id)).status;
  }
  check(status === 'processed', `${label}: file processed`);

  const job = await client.fineTuning.jobs.create({
    model: 'gpt-4o-mini', training_file: file.id, suffix: 'npm', seed: 7, metadata: { check: label },
  });
  check(job.id.startsWith('ftjob-'), `${label}: job created`);
  let current = job;
  for (let i = 0; i < 400 && !['succeeded', 'failed', 'cancelled'].includes(current.status); i += 1) {
    await sleep(25);
    current = await client.fineTuning.jobs.retrieve(job.id);
  }
  check(current.status === 'succeeded', `${label}: job succeeded (got ${current.status})`);
  check(typeof current.fine_tuned_model === 'string' && current.trained_tokens > 0, `${label}: model and tokens`);

  const events = [];
  for await (const event of client.fineTuning.jobs.listEvents(job.id, { limit: 50 })) events.push(event);
  check(events.some((e) => e.type === 'metrics' && typeof e.data.train_loss === 'number'), `${label}: metrics events`);
  check(events[0].message === 'The job has successfully completed', `${label}: newest event first`);
  const checkpoints = await client.fineTuning.jobs.checkpoints.list(job.id);
  check(checkpoints.data.length >= 1, `${label}: checkpoints`);

  const content = await client.files.content(current.result_files[0]);
  const csv = await content.text();
  check(csv.startsWith('step,train_loss,'), `${label}: metrics CSV`);

  const listed = await client.fineTuning.jobs.list({ metadata: { check: label } });
  check(listed.data.length === 1 && listed.data[0].id === job.id, `${label}: list by metadata`);

  const chat = await client.chat.completions.create({
    model: current.fine_tuned_model,
    messages: [{ role: 'user', content: 'Review: Terrible kettle. Returned it the same week.' }],
  });
  check(/^Rating: [1-5] stars?$/.test(chat.choices[0].message.content), `${label}: trained answer format`);
  check(chat.usage.total_tokens === chat.usage.prompt_tokens + chat.usage.completion_tokens, `${label}: usage adds up`);
  if (!azure) {
    const models = await client.models.list();
    const ids = [];
    for await (const model of models) ids.push(model.id);
    check(ids.includes(current.fine_tuned_model), `${label}: model listed`);
  }
}

const client = new OpenAI({ apiKey: 'sk-ajuste-test', baseURL: `${url}/v1`, maxRetries: 2 });
await flow(client, 'openai', { azure: false });

const azure = new AzureOpenAI({ apiKey: 'azure-key', endpoint: url, apiVersion: '2024-10-21', maxRetries: 2 });
await flow(azure, 'azure', { azure: true });

// The SDK retries a 503 and a 429 that carries retry-after-ms; the emulator counts the faults.
await control('POST', '/faults', [
  { path: '/v1/models', status: 503, first: 1 },
  { path: '/v1/fine_tuning/jobs', method: 'GET', status: 429, retry_after_ms: 50, first: 1 },
]);
await client.models.list();
await client.fineTuning.jobs.list();
const counters = await control('GET', '/counters');
check(counters.faults_injected === 2, 'faults injected and ridden out by the SDK');

console.log(`openai npm client check: ${checks} checks passed`);
