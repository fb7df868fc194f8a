// Progressive enhancement of the verify form: drop a file anywhere on the drop zone, or choose one, and the
// form is sent at once. Without this script the same form works with its buttons.
(() => {
  const form = document.getElementById('verify-form');
  const zone = document.getElementById('drop-zone');
  const input = document.getElementById('file');
  if (!form || !zone || !input) return;
  const send = () => {
    if (input.files && input.files.length > 0) form.requestSubmit();
  };
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    input.files = event.dataTransfer.files;
    send();
  });
  input.addEventListener('change', send);
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(button.getAttribute('data-copy') || '').then(() => {
        button.textContent = 'Copied';
      });
    });
  }
})();
