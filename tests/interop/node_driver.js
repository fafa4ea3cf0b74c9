// node-soap driver: calls any mktows operation, the client built from ENDPOINT?WSDL.
// Usage, answers and exit status: as driver_loop.py (one call from the arguments, or one per stdin line).
// Requests are plain objects as node-soap takes them (arrays = repeated elements, null = xsi:nil); an
// object with "xsi:type" gets node-soap's `attributes: {xsi_type: {type, xmlns}}`. Signature and headers
// as ../shared/clients/node-soap. Needs NODE_PATH to hold that script's node_modules (soap 1.13.0).
const crypto = require("crypto");
const readline = require("readline");
const soap = require("soap");
const NS = "http://www.marketo.com/mktows/";

// W3C timestamp with the local offset, e.g. 2013-07-31T12:38:47-07:00
function w3cNow() {
  const d = new Date(), off = -d.getTimezoneOffset(), p = (n) => String(Math.abs(n)).padStart(2, "0");
  const local = new Date(d.getTime() + off * 60000).toISOString().slice(0, 19);
  return `${local}${off < 0 ? "-" : "+"}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

function requestValue(value) {
  if (Array.isArray(value)) return value.map(requestValue);
  if (value === null || typeof value !== "object") return value;
  const members = {};
  for (const [name, item] of Object.entries(value)) {
    if (name !== "xsi:type") members[name] = requestValue(item);
  }
  if ("xsi:type" in value) return { attributes: { xsi_type: { type: value["xsi:type"], xmlns: NS } }, ...members };
  return members;
}

// node-soap's answer without the `attributes` it keeps beside the element values
function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  const result = {};
  for (const [name, item] of Object.entries(value)) {
    if (name !== "attributes") result[name] = plain(item);
  }
  return result;
}

async function callOperation(state, [endpoint, userId, secretKey], operation, params) {
  if (!state.client) {
    // handleNilAsNull: an xsi:nil element is null in the answer rather than left out
    state.client = await soap.createClientAsync(endpoint + "?WSDL", { endpoint, handleNilAsNull: true });
  }
  const client = state.client, ts = w3cNow();
  const sig = crypto.createHmac("sha1", secretKey).update(ts + userId).digest("hex");
  client.clearSoapHeaders();
  client.addSoapHeader({ AuthenticationHeader:
    { mktowsUserId: userId, requestSignature: sig, requestTimestamp: ts } }, "", "ns1", NS);
  try {
    const [result] = await client[operation + "Async"](requestValue(params));
    return { ok: true, fault_code: null, fault_string: null, response: plain(result) };
  } catch (e) {
    const fault = e.root && e.root.Envelope && e.root.Envelope.Body && e.root.Envelope.Body.Fault;
    if (!fault) throw e;
    const se = fault.detail && fault.detail.serviceException;
    const code = String(se && se.code ? se.code : String(fault.faultstring).split(" - ")[0]);
    return { ok: false, fault_code: code, fault_string: String(fault.faultstring), response: null };
  }
}

async function oneCall(state, args, operation, params) {
  let outcome;
  try {
    outcome = await callOperation(state, args, operation, params);
  } catch (e) {
    console.error(`node-soap: ${e.stack || e}`);
    outcome = { error: `${e.name}: ${e.message}` };
  }
  process.stdout.write(JSON.stringify({ client: "node-soap", operation, ...outcome }) + "\n");
  return outcome.error ? 2 : outcome.ok ? 0 : 3;
}

(async () => {
  const args = process.argv.slice(2), state = {};
  if (args.length !== 3 && args.length !== 5) {
    console.error("usage: node_driver.js ENDPOINT USER_ID SECRET_KEY [OPERATION PARAMS_JSON]");
    process.exit(2);
  }
  if (args.length === 5) process.exit(await oneCall(state, args, args[3], JSON.parse(args[4])));
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    await oneCall(state, args, request.operation, request.params || {});
  }
})();
