from shared.serve import serve

serve("approval.bootstrap:create_app")
