from shared.serve import serve

serve("intake.bootstrap:create_app")
