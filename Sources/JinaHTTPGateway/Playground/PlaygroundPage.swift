/// `GET /playground` (issue #14, `gateway: {playground: true}`): one self-contained page — no
/// external script, style sheet or font, so it works offline — that lists the Flow's endpoints
/// (from `/openapi.json`), sends text or an uploaded or dropped image (as a `data:` URI) to the
/// chosen endpoint, and shows what comes back: pictures for `url`/`bytes_` images, `matches` as a
/// grid with their scores, everything else as JSON. A bearer token typed in the page is kept for
/// the browser tab (sessionStorage) and sent with each request, as the API expects.
enum PlaygroundPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jina playground</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #222; }
  header { background: #1d3b53; color: #fff; padding: 12px 20px; font-size: 18px; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 20px; }
  form { display: grid; grid-template-columns: 140px 1fr; gap: 10px 14px; align-items: center; background: #fff; padding: 16px; border-radius: 8px; }
  label { font-weight: 600; }
  input[type=text], input[type=password], input[type=number], select { padding: 6px 8px; font: inherit; }
  #drop { border: 2px dashed #8aa; border-radius: 8px; padding: 14px; text-align: center; color: #567; cursor: pointer; }
  #drop.over { background: #e8f2f6; }
  #drop img { max-height: 120px; display: block; margin: 8px auto 0; }
  button { font: inherit; padding: 8px 20px; background: #1d3b53; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
  #status { margin: 12px 0; color: #555; }
  #status.error { color: #b00020; }
  .doc { background: #fff; border-radius: 8px; padding: 12px; margin: 12px 0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 10px; }
  .match { border: 1px solid #ddd; border-radius: 6px; padding: 8px; text-align: center; background: #fafafa; }
  .match img, .doc > img { width: 112px; height: 112px; object-fit: contain; image-rendering: pixelated; }
  .score { font-weight: 600; color: #1d3b53; }
  pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #f0f0f0; padding: 6px; margin: 6px 0 0; }
</style>
</head>
<body>
<header>jina playground</header>
<main>
<form id="query">
  <label for="endpoint">Endpoint</label><select id="endpoint"></select>
  <label for="text">Text</label><input type="text" id="text" placeholder="words to send as the document's text">
  <label>Image</label>
  <div id="drop">Drop an image here or click to choose one<input type="file" id="file" accept="image/*" hidden><img id="preview" alt="" hidden></div>
  <label for="topk">top_k</label><input type="number" id="topk" value="10" min="1" max="1000">
  <label for="token">Token</label><input type="password" id="token" placeholder="only when the gateway asks for one">
  <span></span><div><button type="submit" id="send">Send</button></div>
</form>
<div id="status"></div>
<div id="results"></div>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let image = null;
$("token").value = sessionStorage.getItem("jina-token") || "";
function headers() {
  const h = {"Content-Type": "application/json"};
  const token = $("token").value.trim();
  if (token) { h["Authorization"] = "Bearer " + token; sessionStorage.setItem("jina-token", token); }
  return h;
}
function status(text, error) { $("status").textContent = text; $("status").className = error ? "error" : ""; }
async function loadEndpoints() {
  try {
    const response = await fetch("openapi.json", {headers: headers()});
    const spec = await response.json();
    const names = Object.keys(spec.paths || {}).filter((p) => spec.paths[p].post && !["/post"].includes(p));
    $("endpoint").innerHTML = "";
    for (const name of names.sort()) {
      const option = document.createElement("option");
      option.value = option.textContent = name;
      if (name === "/search") option.selected = true;
      $("endpoint").appendChild(option);
    }
    status(names.length ? names.length + " endpoints" : "no endpoints found");
  } catch (error) { status("cannot read the endpoints: " + error, true); }
}
function useFile(file) {
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => { image = reader.result; $("preview").src = image; $("preview").hidden = false; };
  reader.readAsDataURL(file);
}
$("drop").addEventListener("click", () => $("file").click());
$("file").addEventListener("change", (event) => useFile(event.target.files[0]));
$("drop").addEventListener("dragover", (event) => { event.preventDefault(); $("drop").classList.add("over"); });
$("drop").addEventListener("dragleave", () => $("drop").classList.remove("over"));
$("drop").addEventListener("drop", (event) => { event.preventDefault(); $("drop").classList.remove("over"); useFile(event.dataTransfer.files[0]); });
function picture(doc) {
  if (typeof doc.url === "string" && (doc.url.startsWith("data:image") || /^https?:/.test(doc.url))) return doc.url;
  const bytes = doc.bytes_ || doc.blob;
  if (typeof bytes === "string" && bytes.length) return "data:image/*;base64," + bytes;
  return null;
}
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function rest(doc, skip) {
  const shown = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!skip.includes(key) && value !== null && !(Array.isArray(value) && !value.length)) shown[key] = value;
  }
  return Object.keys(shown).length ? element("pre", "", JSON.stringify(shown, null, 1)) : null;
}
function show(docs) {
  const results = $("results");
  results.innerHTML = "";
  for (const doc of docs) {
    const box = element("div", "doc");
    const src = picture(doc);
    if (src) { const img = element("img"); img.src = src; box.appendChild(img); }
    if (doc.text) box.appendChild(element("div", "", doc.text));
    const extra = rest(doc, ["matches", "embedding", "url", "bytes_", "blob", "text"]);
    if (extra) box.appendChild(extra);
    if (Array.isArray(doc.matches)) {
      const grid = element("div", "grid");
      grid.id = "matches";
      for (const match of doc.matches) {
        const card = element("div", "match");
        const matchSrc = picture(match);
        if (matchSrc) { const img = element("img"); img.src = matchSrc; card.appendChild(img); }
        const score = match.scores ? Object.entries(match.scores)[0] : null;
        if (score) card.appendChild(element("div", "score", score[0] + " " + Number(score[1].value ?? score[1]).toFixed(3)));
        if (match.text) card.appendChild(element("div", "", match.text));
        const more = rest(match, ["url", "bytes_", "blob", "text", "scores", "embedding"]);
        if (more) card.appendChild(more);
        grid.appendChild(card);
      }
      box.appendChild(grid);
    }
    results.appendChild(box);
  }
}
$("query").addEventListener("submit", async (event) => {
  event.preventDefault();
  const doc = {};
  if ($("text").value.trim()) doc.text = $("text").value.trim();
  if (image) doc.url = image;
  if (!Object.keys(doc).length) { status("type some text or choose an image first", true); return; }
  const endpoint = $("endpoint").value || "/search";
  status("sending to " + endpoint + " …");
  const started = performance.now();
  try {
    const response = await fetch(endpoint.replace(/^\//, ""), {method: "POST", headers: headers(),
      body: JSON.stringify({data: [doc], parameters: {top_k: Number($("topk").value) || 10}})});
    const body = await response.json();
    if (!response.ok) { status("error " + response.status + ": " + (body.detail || JSON.stringify(body.header || body)), true); return; }
    show(body.data || []);
    status("answered in " + Math.round(performance.now() - started) + " ms");
  } catch (error) { status("the request failed: " + error, true); }
});
loadEndpoints();
</script>
</body>
</html>
"""#
}
