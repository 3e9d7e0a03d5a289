"""Mailings: numbered letters with reply coupons, and the answers scanned back in."""
