#!/usr/bin/env python
from congvu.__main__ import main

if __name__ == "__main__":
    main()
