// Swagger UI speaks only English; its fixed labels are replaced by Indonesian as they appear.
(function () {
  var words = {
    "Parameters": "Parameter", "No parameters": "Tidak ada parameter", "Responses": "Jawaban",
    "Response": "Jawaban", "Try it out": "Coba", "Execute": "Jalankan", "Cancel": "Batal", "Clear": "Bersihkan",
    "Request body": "Isi permintaan", "Description": "Keterangan", "Name": "Nama", "Code": "Kode",
    "Links": "Tautan", "No links": "Tidak ada tautan", "Schemas": "Skema", "Schema": "Skema",
    "Example Value": "Contoh nilai", "Media type": "Jenis media", "Controls Accept header.": "Mengatur header Accept.",
    "Server response": "Jawaban server", "Response body": "Isi jawaban", "Response headers": "Header jawaban",
    "Details": "Rincian", "Download": "Unduh", "Curl": "Perintah curl", "Request URL": "Alamat permintaan",
    "Successful Response": "Berhasil", "Validation Error": "Isian tidak sah", "required": "wajib",
    "Default value": "Nilai bawaan", "Available values": "Pilihan", "Loading...": "Memuat…",
    "Servers": "Server", "Authorize": "Otorisasi", "Expand all": "Buka semua", "Collapse all": "Tutup semua",
    "Failed to load API definition.": "Definisi API gagal dimuat.", "Undocumented": "Tidak didokumentasikan"
  };
  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var said = node.nodeValue.trim();
      if (words[said]) node.nodeValue = node.nodeValue.replace(said, words[said]);
    }
  }
  new MutationObserver(function () { translate(document.body); })
    .observe(document.body, {childList: true, subtree: true, characterData: false});
})();
