// The phone survey works without this script; with it, question 2 is disabled for
// real after "no" to question 1, so keyboards and screen readers skip it too.
(() => {
  const form = document.getElementById('survey-form');
  if (!form) return;
  const skip = () => {
    for (const f of form.querySelectorAll('fieldset[data-skip-if]')) {
      const [q, o] = f.dataset.skipIf.split(':');
      const box = document.getElementById(`s-${q}-${o.replaceAll('_', '-')}`);
      f.disabled = !!box && box.checked;
    }
  };
  form.addEventListener('change', skip);
  skip();
})();
