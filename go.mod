module github.com/podiumhq/podium

go 1.26

require (
	github.com/bluenviron/mediacommon/v2 v2.4.1
	github.com/spf13/cobra v1.10.1
)

require (
	github.com/asticode/go-astikit v0.30.0 // indirect
	github.com/asticode/go-astits v1.13.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
