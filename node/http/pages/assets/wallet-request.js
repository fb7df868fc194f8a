// Live result of "ask a wallet for a credential": polls the result URL with the result token (sent as a header,
// never in a URL) and, once the wallet answered or the request expired, sends the page's own "show the answer"
// form, so the result is rendered by the server as without this script.
(() => {
  const form = document.getElementById('wallet-result');
  if (!form) return;
  const id = form.elements.namedItem('id').value;
  const token = form.elements.namedItem('token').value;
  const poll = async () => {
    try {
      const response = await fetch(`/presentation-requests/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok && (await response.json()).state !== 'pending') return form.requestSubmit();
    } catch {
      // A dropped connection: try again on the next round.
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1500);
})();
