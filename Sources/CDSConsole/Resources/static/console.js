// Small help where a form alone is clumsy; every page works without it.
// A chosen CSV file fills the import's text box, so that the file's lines are checked like pasted cells.
for (const input of document.querySelectorAll('input[type=file][data-fills]')) {
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    const target = document.getElementById(input.dataset.fills);
    if (!file || !target) return;
    file.text().then((text) => { target.value = text.replace(/^\uFEFF/, ''); });
  });
}
// A button that ends something (disabling an account, revoking a grant) asks first.
for (const button of document.querySelectorAll('button[data-confirm]')) {
  button.addEventListener('click', (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
}
