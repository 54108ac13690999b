from prepdeck.cli import main

raise SystemExit(main())
