// The XMLHttpRequest a browser has and Node lacks, on top of Node's fetch: just what
// closure-library's XhrIo uses. The browser build of the web SDK sends its unary RPCs
// (transactions' BatchGetDocuments, BeginTransaction and Commit, aggregations) with XhrIo; its
// streams go over WebChannel with fetch streams and do not need this.

class NodeXMLHttpRequest {
  constructor() {
    this.readyState = 0;
    this.status = 0;
    this.statusText = '';
    this.responseText = '';
    this.response = '';
    this.responseType = '';
    this.withCredentials = false;
    this.timeout = 0;
    this.onreadystatechange = null;
    this.responseHeaders = new Headers();
    this.requestHeaders = {};
    this.controller = new AbortController();
  }

  open(method, url) {
    this.method = method;
    this.url = url;
    this.changeState(1);
  }

  setRequestHeader(name, value) {
    this.requestHeaders[name] = value;
  }

  send(body) {
    const init = { method: this.method, headers: this.requestHeaders, signal: this.controller.signal };
    if (body !== undefined && body !== null) init.body = body;
    fetch(this.url, init)
      .then(async (response) => {
        this.status = response.status;
        this.statusText = response.statusText;
        this.responseHeaders = response.headers;
        this.changeState(2);
        this.responseText = await response.text();
        this.response = this.responseText;
        this.changeState(3);
        this.changeState(4);
      })
      .catch(() => {
        this.status = 0;
        this.changeState(4);
      });
  }

  abort() {
    this.controller.abort();
  }

  getResponseHeader(name) {
    return this.responseHeaders.get(name);
  }

  getAllResponseHeaders() {
    return [...this.responseHeaders].map(([name, value]) => `${name}: ${value}\r\n`).join('');
  }

  changeState(state) {
    this.readyState = state;
    if (this.onreadystatechange) this.onreadystatechange();
  }
}

/** Make `XMLHttpRequest` available to code written for browsers. */
export function installXMLHttpRequest() {
  globalThis.XMLHttpRequest ??= NodeXMLHttpRequest;
}
