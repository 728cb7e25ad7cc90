// Package regions loads municipalities, their office locations, prefecture waste
// statistics and the incinerator fleet from CSV files, and classifies
// municipalities into the archetypes a–e of the regional circulation model.
package regions
