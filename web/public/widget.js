/*
 * Parley chat widget. Paste on any page:
 *   <script src="https://support.example.com/widget.js" defer
 *           data-customer-id="c_123" data-customer-signature="<hex HMAC-SHA256 of the id>"
 *           data-title="Help" data-color="#3d63dd" data-position="right"></script>
 * Or data-customer-token="<customer JWT>". Without them the visitor is anonymous.
 * The chat runs in a frame served by Parley, so the host page's styles and scripts never touch it; the
 * identity travels in the frame URL's fragment, which browsers do not send to servers, and the chat page
 * accepts it only inside this frame (`embed=1`). Browsers may block a third-party frame's storage, so this
 * script keeps the anonymous visitor id the server issued (and the token proving it was issued to this
 * browser) in the host site's own storage: conversations had anonymously then follow the shopper once the
 * host page signs them in.
 */
(function () {
  var script = document.currentScript;
  if (!script || window.__parleyWidget) return;
  window.__parleyWidget = true;
  var data = script.dataset;
  var origin = new URL(script.src, location.href).origin;
  var color = /^#[0-9a-fA-F]{3,8}$/.test(data.color || '') ? data.color : '#3d63dd';
  var side = data.position === 'left' ? 'left' : 'right';

  var visitorKey = 'parley.widget.visitor';
  function loadVisitor() {
    try {
      return JSON.parse(window.localStorage.getItem(visitorKey) || 'null');
    } catch {
      return null;
    }
  }
  function storeVisitor(visitor) {
    try {
      if (visitor) window.localStorage.setItem(visitorKey, JSON.stringify(visitor));
      else window.localStorage.removeItem(visitorKey);
    } catch {
      // Storage blocked: the visitor lasts for this page only.
    }
  }

  var fragment = new URLSearchParams();
  var visitor = loadVisitor();
  if (visitor && visitor.visitor && visitor.visitorToken) {
    fragment.set('visitor', visitor.visitor);
    fragment.set('visitorToken', visitor.visitorToken);
  }
  if (data.customerId && data.customerSignature) {
    fragment.set('customer', data.customerId);
    fragment.set('signature', data.customerSignature);
  } else if (data.customerToken) {
    fragment.set('token', data.customerToken);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', data.title || 'Chat with support');
  button.setAttribute('data-parley', 'launcher');
  button.textContent = data.title || 'Chat';
  button.style.cssText =
    'position:fixed;bottom:20px;' +
    side +
    ':20px;z-index:2147483000;border:0;border-radius:999px;' +
    'padding:12px 18px;font:600 15px system-ui,sans-serif;color:#fff;cursor:pointer;' +
    'box-shadow:0 6px 20px rgba(0,0,0,.25);background:' +
    color;

  var frame = null;
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = data.title || 'Support chat';
      frame.setAttribute('data-parley', 'frame');
      frame.src = origin + '/chat?embed=1#' + fragment.toString();
      frame.style.cssText =
        'position:fixed;bottom:84px;' +
        side +
        ':20px;z-index:2147483000;width:min(400px,calc(100vw - 40px));' +
        'height:min(620px,calc(100vh - 110px));border:1px solid #e3e6ee;border-radius:14px;background:#fff;' +
        'box-shadow:0 12px 40px rgba(0,0,0,.25)';
      document.body.appendChild(frame);
    } else {
      frame.style.display = frame.style.display === 'none' ? 'block' : 'none';
    }
  }
  button.addEventListener('click', open);
  // The frame says which visitor this browser is (or that a signed-in customer took it over: null).
  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var message = event.data || {};
    if (message.type !== 'parley:visitor') return;
    storeVisitor(
      message.visitor && message.visitorToken
        ? { visitor: String(message.visitor), visitorToken: String(message.visitorToken) }
        : null,
    );
  });
  function mount() {
    document.body.appendChild(button);
    if (data.open === 'true') open();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
