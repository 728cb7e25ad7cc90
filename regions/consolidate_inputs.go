package regions

import (
	"errors"
	"fmt"
)

// DemandsFromMunicipalities returns one [Demand] per municipality, in the order
// of ms: Code, Location and Group = Prefecture from the municipality, Tonnes =
// tonnes(&ms[i]) in t/yr (e.g. population × g/person/day × days / 1e6).
//
// A municipality without a location (HasLocation false) is an error,
// "regions: municipality 11203 has no location; consolidation needs one"; load
// locations first with [LoadLocations]. All such errors are returned, joined
// (at most 20, then a count).
func DemandsFromMunicipalities(ms []Municipality, tonnes func(*Municipality) float64) ([]Demand, error) {
	ds := make([]Demand, 0, len(ms))
	var errs []error
	missing := 0
	for i := range ms {
		m := &ms[i]
		if !m.HasLocation {
			if missing++; missing <= maxErrors {
				errs = append(errs, fmt.Errorf("regions: municipality %s has no location; consolidation needs one", m.Code))
			}
			continue
		}
		ds = append(ds, Demand{Code: m.Code, Location: m.Location, Tonnes: tonnes(m), Group: m.Prefecture})
	}
	if missing > maxErrors {
		errs = append(errs, fmt.Errorf("regions: … and %d more municipalities without location", missing-maxErrors))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ds, nil
}

// SitesFromIncinerators returns one existing [Site] per facility, in the order
// of fs: ID = FacilityCode, Location = the approximate site location (the
// office of the site municipality, not the plant), Group = Prefecture (the
// operator's prefecture; one Osaka-operated plant lies in Kyoto), Existing =
// true and Capacity = CapacityTPerDay × daysPerYear in t/yr.
//
// daysPerYear converts design capacity to annual capacity; 280 is the
// customary Japanese planning value (実稼働率 280/365 = 0.767 in the MOE
// facility sizing formula, from memory of the guideline — not in
// parameter_facts.csv, verify before citing). Filter fs first, e.g. with
// [Incinerator.Operating].
//
// Errors: daysPerYear not in (0, 366]; a facility without location or with
// zero capacity (which would become uncapacitated). All are returned, joined.
func SitesFromIncinerators(fs []Incinerator, daysPerYear float64) ([]Site, error) {
	if !finite(daysPerYear) || daysPerYear <= 0 || daysPerYear > 366 {
		return nil, fmt.Errorf("regions: operating days per year must be in (0, 366], got %g", daysPerYear)
	}
	ss := make([]Site, 0, len(fs))
	var errs []error
	for i := range fs {
		f := &fs[i]
		switch {
		case !f.HasLocation:
			errs = append(errs, fmt.Errorf("regions: incinerator %s (%s) has no location", f.FacilityCode, f.Name))
			continue
		case !(f.CapacityTPerDay > 0):
			errs = append(errs, fmt.Errorf("regions: incinerator %s (%s) has no capacity; it would be uncapacitated", f.FacilityCode, f.Name))
			continue
		}
		ss = append(ss, Site{ID: f.FacilityCode, Location: f.Location, Capacity: f.CapacityTPerDay * daysPerYear,
			Existing: true, Group: f.Prefecture})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs[:min(len(errs), maxErrors)]...)
	}
	return ss, nil
}
