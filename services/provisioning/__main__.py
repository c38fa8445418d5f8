from shared.serve import serve

serve("provisioning.bootstrap:create_app")
