from shared.serve import serve

serve("complaints.bootstrap:create_app")
