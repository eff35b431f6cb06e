package cart

// rate is the sales tax.
const rate = 0.0825

// Tax is the tax on sum, rounded to cents.
func Tax(sum float64) float64 {

	t := round(sum * rate)
	return t
}

func round(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
