// A browser draws its file input in its own language ("Choose File"); ours speaks Indonesian.
// Without JavaScript the native input stays and still works.
document.querySelectorAll('input[type=file]').forEach(function (input) {
  var none = 'Belum ada berkas dipilih';
  var button = document.createElement('button');
  var name = document.createElement('span');
  button.type = 'button';
  button.className = 'file-choose';
  button.textContent = 'Pilih berkas';
  name.className = 'file-name muted';
  name.textContent = none;
  input.classList.add('file-hidden');
  input.insertAdjacentElement('afterend', name);
  input.insertAdjacentElement('afterend', button);
  button.addEventListener('click', function () { input.click(); });
  input.addEventListener('change', function () {
    name.textContent = input.files.length ? input.files[0].name : none;
  });
});
