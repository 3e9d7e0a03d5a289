"""The physical archive: locations, paper originals, their movements and the scan station."""
