from .server import FakeCGRateS

FakeCGRateS.main()
